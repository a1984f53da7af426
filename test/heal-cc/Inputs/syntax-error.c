int f(void) { return undeclared_thing; }
int g(void) { return 1 }
