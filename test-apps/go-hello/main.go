// A static Go program exercising what Go's runtime needs from the kernel:
// threads (goroutines on several Ms), channels, timers, a mutex and
// os/signal. The output is the same on every run.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"sort"
	"sync"
	"syscall"
	"time"
)

func main() {
	if os.Getenv("GOMAXPROCS") == "" { // the smp test sets it to its CPUs
		runtime.GOMAXPROCS(4)
	}

	results := make(chan int, 64)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			sum := 0
			for i := 0; i <= 10000; i++ {
				sum += i * id
			}
			results <- sum
		}(w)
	}
	wg.Wait()
	close(results)
	var sums []int
	for s := range results {
		sums = append(sums, s)
	}
	sort.Ints(sums)
	fmt.Println("goroutine sums:", sums)

	var mu sync.Mutex
	counter := 0
	var wg2 sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			for i := 0; i < 1000; i++ {
				mu.Lock()
				counter++
				mu.Unlock()
			}
		}()
	}
	wg2.Wait()
	fmt.Println("mutex counter:", counter)

	start := time.Now()
	timer := time.NewTimer(30 * time.Millisecond)
	<-timer.C
	ticks := 0
	ticker := time.NewTicker(5 * time.Millisecond)
	for range ticker.C {
		ticks++
		if ticks == 5 {
			ticker.Stop()
			break
		}
	}
	fmt.Println("timer and ticker fired; at least 50ms passed:", time.Since(start) >= 50*time.Millisecond)

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGUSR1)
	syscall.Kill(os.Getpid(), syscall.SIGUSR1)
	select {
	case s := <-signals:
		fmt.Println("signal received:", s)
	case <-time.After(5 * time.Second):
		fmt.Println("signal not received")
	}
}
