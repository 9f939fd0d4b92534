// A parallel Go compute loop for bench/smp.py: N goroutines (and
// GOMAXPROCS N), each running the same xorshift loop of a fixed length.
// It prints a checksum that is the same everywhere, so that a run that
// went wrong shows.
//
//	go-parallel ITERATIONS GOROUTINES
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
)

func work(seed uint64, iterations int) uint64 {
	x := seed
	for i := 0; i < iterations; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return x
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: go-parallel ITERATIONS GOROUTINES")
		os.Exit(2)
	}
	iterations, err1 := strconv.Atoi(os.Args[1])
	goroutines, err2 := strconv.Atoi(os.Args[2])
	if err1 != nil || err2 != nil || iterations < 1 || goroutines < 1 {
		fmt.Fprintln(os.Stderr, "go-parallel: ITERATIONS and GOROUTINES are positive numbers")
		os.Exit(2)
	}
	runtime.GOMAXPROCS(goroutines)
	results := make(chan uint64)
	for g := 0; g < goroutines; g++ {
		go func(seed uint64) { results <- work(seed, iterations) }(uint64(g + 1))
	}
	var checksum uint64
	for g := 0; g < goroutines; g++ {
		checksum ^= <-results
	}
	fmt.Printf("checksum %x\n", checksum)
}
