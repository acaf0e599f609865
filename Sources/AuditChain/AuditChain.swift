// The AuditChain module; see DESIGN.md's module map.
