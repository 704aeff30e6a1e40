/* Does not compile on purpose: the collector must name the failing step. */
int broken(void) { return undeclared_variable; }
