package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cpuSample is the CPU time (user+system) used so far by the server child and by this
// process (the load client, which shares the machine's cores with the server), and when.
type cpuSample struct {
	at             time.Time
	server, client float64 // seconds
	serverSys      float64 // the server's system part (page faults, syscalls)
	serverWait     float64 // seconds the server's threads were runnable but not running
	hashes         int64   // hashes the server's pool ran
	held           float64 // seconds its slots were held
	slots          int
	machineBusy    float64 // seconds of CPU the whole machine spent busy (/proc/stat)
}

// cpuUse is the CPU the server and the client used over a run, in seconds, and its length.
type cpuUse struct {
	server, serverSys, serverWait, client, wall float64
	machineBusy                                 float64
	hashes                                      int64
	held                                        float64
	slots                                       int
}

func (c *child) cpu() cpuSample {
	s := cpuSample{at: time.Now()}
	s.server, s.serverSys = procCPU(c.cmd.Process.Pid)
	s.client = selfCPU()
	s.machineBusy = machineBusy()
	s.serverWait = runDelay(c.cmd.Process.Pid)
	if _, err := fmt.Fprintln(c.ask, "stats"); err == nil {
		if line, err := c.out.ReadString('\n'); err == nil {
			var held int64
			fmt.Sscanf(line, "%d %d %d", &s.hashes, &held, &s.slots)
			s.held = float64(held) / 1e9
		}
	}
	return s
}

func (s cpuSample) since(b cpuSample) cpuUse {
	return cpuUse{server: s.server - b.server, serverSys: s.serverSys - b.serverSys, serverWait: s.serverWait - b.serverWait,
		client: s.client - b.client, wall: s.at.Sub(b.at).Seconds(), machineBusy: s.machineBusy - b.machineBusy, hashes: s.hashes - b.hashes, held: s.held - b.held, slots: s.slots}
}

// selfCPU is this process's CPU time so far (user+system), in seconds.
func selfCPU() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return tv(ru.Utime) + tv(ru.Stime)
}

func tv(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }

// procCPU reads utime+stime and stime of a process from /proc/PID/stat, in seconds.
func procCPU(pid int) (total, sys float64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0
	}
	// Fields after the command name (which is in parentheses and may hold spaces).
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	if len(f) < 13 {
		return 0, 0
	}
	ut, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (ut + st) / 100, st / 100 // USER_HZ is 100 on Linux
}

// runDelay adds up, over the process's threads, the time they waited on a run queue
// (/proc/PID/task/TID/schedstat, second field, ns): CPU the server wanted and did not get.
func runDelay(pid int) float64 {
	tasks, _ := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	var ns float64
	for _, t := range tasks {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/schedstat", pid, t.Name()))
		if err != nil {
			continue
		}
		if f := strings.Fields(string(b)); len(f) >= 2 {
			v, _ := strconv.ParseFloat(f[1], 64)
			ns += v
		}
	}
	return ns / 1e9
}

// machineBusy is the CPU time every process on the machine has used, in seconds (all
// of /proc/stat's first line but idle and iowait): with the server's and the client's,
// it tells how much of a run the machine's other work took.
func machineBusy() float64 {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	var busy float64
	for i, v := range f[1:] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		n, _ := strconv.ParseFloat(v, 64)
		busy += n
	}
	return busy / 100
}
