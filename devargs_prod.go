//go:build !dev

package main

func devArgs(args []string) []string { return args }
