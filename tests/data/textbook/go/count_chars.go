package main

import (
	"fmt"
	"unicode"
)

func countChars(s string) (letters, digits, spaces int) {
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r):
			digits++
		case unicode.IsSpace(r):
			spaces++
		}
	}
	return
}

func main() {
	l, d, s := countChars("Hello World 2024")
	fmt.Println(l, d, s)
}
