// The Kafka module; see DESIGN.md's module map.
