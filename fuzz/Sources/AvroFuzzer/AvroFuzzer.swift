// libFuzzer entry point for the Avro code the registry and the broker run on untrusted
// input: binary payload validation against fixed schemas (what schema validation on
// produce does with every record value) and schema parsing (what the registry does with
// every schema a client registers).
//
// The first byte picks the mode: 0-2 validate the rest as a payload of one of
// `schemas`, 3 parses the rest as a schema's JSON text.
import SchemaRegistry

let schemaTexts = [
    // Every primitive, complex and logical type.
    """
    {"type": "record", "name": "All", "fields": [
      {"name": "n", "type": "null"}, {"name": "b", "type": "boolean"},
      {"name": "i", "type": "int"}, {"name": "l", "type": "long"},
      {"name": "f", "type": "float"}, {"name": "d", "type": "double"},
      {"name": "by", "type": "bytes"}, {"name": "s", "type": "string"},
      {"name": "a", "type": {"type": "array", "items": "int"}},
      {"name": "m", "type": {"type": "map", "values": "string"}},
      {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B", "C"]}},
      {"name": "fx", "type": {"type": "fixed", "name": "F", "size": 3}},
      {"name": "u", "type": ["null", "long", "E"]},
      {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
      {"name": "dec", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}}
    ]}
    """,
    // Recursion through a named reference: nesting depth comes from the payload.
    """
    {"type": "record", "name": "Node", "fields": [
      {"name": "value", "type": "long"},
      {"name": "children", "type": {"type": "array", "items": "Node"}},
      {"name": "next", "type": ["null", "Node"]}
    ]}
    """,
    // Shaped like schemas/payment-transaction.avsc: strings, enums, optional fields.
    """
    {"type": "record", "name": "PaymentTransaction", "namespace": "com.compliancelog.payments", "fields": [
      {"name": "event_id", "type": {"type": "string", "logicalType": "uuid"}},
      {"name": "sequence", "type": "long"},
      {"name": "status", "type": {"type": "enum", "name": "PaymentStatus",
        "symbols": ["UNKNOWN", "INITIATED", "AUTHORIZED", "CAPTURED"], "default": "UNKNOWN"}},
      {"name": "amount_minor", "type": "long"},
      {"name": "currency", "type": "string"},
      {"name": "merchant_id", "type": ["null", "string"], "default": null},
      {"name": "tags", "type": {"type": "map", "values": {"type": "array", "items": "string"}}},
      {"name": "occurred_at", "type": {"type": "long", "logicalType": "timestamp-millis"}}
    ]}
    """,
]

let schemas = schemaTexts.map { try! AvroSchema(parsing: $0) }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAvro(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let input = UnsafeBufferPointer(start: data, count: size)
    let mode = Int(input[0]) % (schemas.count + 1)
    let rest = input.dropFirst()
    if mode < schemas.count {
        try? schemas[mode].validate(payload: rest)
        return 0
    }
    // Schemas arrive as JSON strings, so they are always valid UTF-8.
    guard let text = String(validating: rest, as: UTF8.self),
          let schema = try? AvroSchema(parsing: text)
    else { return 0 }
    _ = schema.canonicalForm
    _ = schema.fingerprint
    // Registration checks compatibility, which walks both schemas (recursion included).
    _ = AvroCompatibility.readerCanRead(schema, writer: schema)
    try? schema.validate(payload: [UInt8]())
    return 0
}
