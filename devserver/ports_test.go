package devserver

import (
	"slices"
	"testing"
)

// The ports the embedded server picks for its services are distinct and
// never the frontend port it was given, free as that port is until it is
// bound (seen: the worker service on the frontend's port). With five ports
// to choose from and one excluded, the other four are the only answer.
func TestFreePortsExcludeTheFrontend(t *testing.T) {
	base, span := portBase, portSpan
	t.Cleanup(func() { portBase, portSpan = base, span })
	portBase, portSpan = 31990, 5
	for range 20 {
		ports, err := freePorts("127.0.0.1", 4, 31990)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(ports)
		if !slices.Equal(ports, []int{31991, 31992, 31993, 31994}) {
			t.Fatalf("picked %v", ports)
		}
	}
}
