//go:build !linux

package domain

func adviseHugePages([]a2block) {}
