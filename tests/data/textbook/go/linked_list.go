package main

import "fmt"

type Node struct {
	Val  int
	Next *Node
}

func reverseList(head *Node) *Node {
	var prev *Node
	curr := head
	for curr != nil {
		next := curr.Next
		curr.Next = prev
		prev = curr
		curr = next
	}
	return prev
}

func printList(head *Node) {
	for n := head; n != nil; n = n.Next {
		fmt.Print(n.Val, " ")
	}
	fmt.Println()
}

func main() {
	var head *Node
	for i := 5; i >= 1; i-- {
		head = &Node{Val: i, Next: head}
	}
	printList(head)
	printList(reverseList(head))
}
