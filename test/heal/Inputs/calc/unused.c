/* A second archive member nothing references: the linker leaves it out. */
long op_unused(long a) { return -a; }
