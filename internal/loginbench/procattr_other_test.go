//go:build !linux

package loginbench

import "syscall"

// childProcAttr returns nil: only Linux can tie the child's life to ours.
func childProcAttr() *syscall.SysProcAttr { return nil }
