package main

import "fmt"

func addMatrices(a, b [][]int) [][]int {
	rows, cols := len(a), len(a[0])
	out := make([][]int, rows)
	for i := 0; i < rows; i++ {
		out[i] = make([]int, cols)
		for j := 0; j < cols; j++ {
			out[i][j] = a[i][j] + b[i][j]
		}
	}
	return out
}

func main() {
	a := [][]int{{1, 2}, {3, 4}}
	b := [][]int{{5, 6}, {7, 8}}
	fmt.Println(addMatrices(a, b))
}
