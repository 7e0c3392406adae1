// Package loginbench measures what a login through ЕС ИФЮЛ costs the
// relying party. It compares the CPU time and heap allocations that the
// ifyul SDK spends in the consumer's process with those of a baseline that
// does the same login by hand with golang.org/x/oauth2, coreos/go-oidc and
// encoding/json.
//
// The package has only tests and benchmarks. They run the fake ЕС ИФЮЛ
// (examples/fakeserver) as a child process on 127.0.0.1, so the server's
// work is not counted, and they read the CPU time of the whole test process
// with getrusage(RUSAGE_SELF), because net/http spends part of every request
// in goroutines other than the caller's. The SDK and the baseline run
// alternately in one loop, and each benchmark reports the SDK's cost as a
// multiple of the baseline's.
//
//	go test -run '^$' -bench . -benchtime 3000x -count 5 ./internal/loginbench
//
// docs/performance-login.md records the figures and where the time goes.
package loginbench
