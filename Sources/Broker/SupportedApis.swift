import KafkaProtocol

/// The API versions this broker implements, and so advertises in ApiVersions.
///
/// Lower bounds skip versions that need magic 0/1 message sets (Produce < 3, Fetch < 4);
/// upper bounds stop before versions whose semantics we do not implement yet (Fetch 13+
/// addresses topics by id only).
enum SupportedApis {
    static let versions: [ApiKey: ClosedRange<Int16>] = [
        .produce: 3...9,
        .fetch: 4...12,
        .listOffsets: 0...7,
        .metadata: 0...12,
        .offsetCommit: 0...8,
        .offsetFetch: 0...7,
        .findCoordinator: 0...4,
        .joinGroup: 0...9,
        .heartbeat: 0...4,
        .leaveGroup: 0...5,
        .syncGroup: 0...5,
        .describeGroups: 0...5,
        .listGroups: 0...4,
        .apiVersions: 0...3,
        .createTopics: 0...7,
        .deleteTopics: 0...5,
        .deleteRecords: 0...2,
        .initProducerId: 0...4,
        .describeConfigs: 0...4,
        .alterConfigs: 0...2,
        .incrementalAlterConfigs: 0...1,
        .createPartitions: 0...3,
        // After a v0 handshake the SASL tokens travel as bare length-prefixed frames
        // (ConnectionSession.rawSaslTokens); librdkafka needs v0 advertised to use SASL at all.
        .saslHandshake: 0...1,
        .saslAuthenticate: 0...2,
        .describeAcls: 0...3,
        .createAcls: 0...3,
        .deleteAcls: 0...3,
    ]

    static func supports(_ key: ApiKey, _ version: Int16) -> Bool {
        versions[key]?.contains(version) ?? false
    }
}
