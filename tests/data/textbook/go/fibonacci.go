package main

import "fmt"

func fibonacci(n int) []int {
	seq := make([]int, n)
	for i := 0; i < n; i++ {
		if i < 2 {
			seq[i] = i
		} else {
			seq[i] = seq[i-1] + seq[i-2]
		}
	}
	return seq
}

func main() {
	fmt.Println(fibonacci(12))
}
