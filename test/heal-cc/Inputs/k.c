int ar_k(void) { return 5; }
