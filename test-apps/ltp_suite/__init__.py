"""LTP syscall tests inside sole and in a Linux guest: the modules behind test-apps/ltp."""
