// The SchemaRegistry module; see DESIGN.md's module map.
