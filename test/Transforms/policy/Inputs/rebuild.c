int lookup(int key) { return key > 0 ? key : -1; }
int main(void) { return lookup(1) < 0; }
