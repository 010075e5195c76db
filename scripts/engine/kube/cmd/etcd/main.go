// Command etcd is etcd's server, as go.etcd.io/etcd/server/v3 builds it (its own main package does the same).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
