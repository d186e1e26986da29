// Package domain is the vocabulary the workflows, the activities and the
// store exchange: who acts (roles and actors), what the read model records,
// the messages a workflow asks for, and a field at fault. It imports
// nothing of the project, so the deterministic workflows share these types
// without linking a database driver, and every package names a role the
// same way.
package domain
