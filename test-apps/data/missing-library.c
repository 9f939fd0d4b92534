/* A library the test binary links against and that sole will not find. */
int sole_missing_symbol(void) { return 1; }
