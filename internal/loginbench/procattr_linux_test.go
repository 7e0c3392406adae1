package loginbench

import "syscall"

// childProcAttr makes the kernel kill the fake server when the test process
// dies without stopping it, for example at a test timeout. Linux sends the
// signal when the thread that started the child exits. Go keeps its threads
// unless a goroutine exits while locked to one, which this package never does.
func childProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
