package passwordhash

import (
	"runtime"
	"syscall"
	"unsafe"
)

// adviseHugePages asks the kernel to back the block memory with transparent huge pages
// where it can (THP in "madvise" mode, the usual default, gives them only on request).
// Argon2 reads blocks at random over the whole 19 MiB: with 4 KiB pages nearly every
// such read also misses the TLB. Best effort: any error leaves ordinary pages.
func adviseHugePages(mem []a2block) {
	if len(mem) == 0 {
		return
	}
	const huge = 2 << 20
	start := uintptr(unsafe.Pointer(&mem[0]))
	end := start + uintptr(len(mem))*unsafe.Sizeof(mem[0])
	first, last := (start+huge-1)&^(huge-1), end&^(huge-1)
	if last <= first {
		return
	}
	const madvHugepage = 14
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, first, last-first, madvHugepage)
	runtime.KeepAlive(mem)
}
