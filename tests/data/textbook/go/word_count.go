package main

import (
	"fmt"
	"strings"
)

func wordCount(s string) map[string]int {
	counts := make(map[string]int)
	for _, w := range strings.Fields(strings.ToLower(s)) {
		counts[w]++
	}
	return counts
}

func main() {
	fmt.Println(wordCount("the cat sat on the mat"))
}
