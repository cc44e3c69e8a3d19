//go:build !linux

package passwordhash

func adviseHugePages([]a2block) {}
