// Confluent-compatible Schema Registry REST API; see DESIGN.md.
