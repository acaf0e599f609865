import KafkaProtocol

/// Kafka's ConfigResource types.
private enum ResourceType: Int8 {
    case topic = 2
    case broker = 4
}

/// Kafka's config sources, as DescribeConfigs reports them.
private enum ConfigSource: Int8 {
    case dynamicTopic = 1
    case staticBroker = 4
    case defaultConfig = 5
}

struct DescribedConfig {
    var name: String
    var value: String
    var source: Int8
    var isDefault: Bool
}

extension RequestDispatcher {
    func describedConfigs(_ overrides: [String: String]) -> [DescribedConfig] {
        TopicConfigs.defaults.keys.sorted().map { name in
            if let value = overrides[name] {
                return DescribedConfig(name: name, value: value, source: ConfigSource.dynamicTopic.rawValue, isDefault: false)
            }
            return DescribedConfig(name: name, value: TopicConfigs.defaults[name]!, source: ConfigSource.defaultConfig.rawValue, isDefault: true)
        }
    }

    func describeConfigs(_ request: DescribeConfigsRequest, version: Int16) throws -> DescribeConfigsResponse {
        let results = request.resources.map { resource -> DescribeConfigsResponse.DescribeConfigsResult in
            var result = DescribeConfigsResponse.DescribeConfigsResult(
                errorCode: 0, errorMessage: nil, resourceType: resource.resourceType, resourceName: resource.resourceName, configs: [])
            let described: [DescribedConfig]
            switch ResourceType(rawValue: resource.resourceType) {
            case .topic:
                guard let topic = core.topics[resource.resourceName] else {
                    result.errorCode = KafkaErrorCode.unknownTopicOrPartition.rawValue
                    result.errorMessage = "topic '\(resource.resourceName)' does not exist"
                    return result
                }
                described = describedConfigs(topic.configs)
            case .broker:
                described = [
                    DescribedConfig(name: "auto.create.topics.enable", value: "false", source: ConfigSource.staticBroker.rawValue, isDefault: false),
                    DescribedConfig(name: "broker.id", value: "\(core.configuration.nodeID)", source: ConfigSource.staticBroker.rawValue, isDefault: false),
                    DescribedConfig(name: "log.dirs", value: core.configuration.dataDirectory, source: ConfigSource.staticBroker.rawValue, isDefault: false),
                ]
            case nil:
                result.errorCode = KafkaErrorCode.invalidRequest.rawValue
                result.errorMessage = "unsupported resource type \(resource.resourceType)"
                return result
            }
            let wanted = resource.configurationKeys.map(Set.init)
            result.configs = described.filter { wanted?.contains($0.name) ?? true }.map { config in
                DescribeConfigsResponse.DescribeConfigsResourceResult(
                    name: config.name, value: config.value, readOnly: resource.resourceType == ResourceType.broker.rawValue,
                    isDefault: config.isDefault, configSource: config.source, isSensitive: false,
                    synonyms: request.includeSynonyms
                        ? [DescribeConfigsResponse.DescribeConfigsSynonym(name: config.name, value: config.value, source: config.source)] : [],
                    configType: 0, documentation: nil)
            }
            return result
        }
        return DescribeConfigsResponse(throttleTimeMs: 0, results: results)
    }

    /// AlterConfigs replaces a topic's whole set of overrides (Kafka's legacy semantics).
    func alterConfigs(_ request: AlterConfigsRequest, actor: String) throws -> AlterConfigsResponse {
        let responses = request.resources.map { resource -> AlterConfigsResponse.AlterConfigsResourceResponse in
            var configs: [String: String] = [:]
            for config in resource.configs {
                if let value = config.value { configs[config.name] = value }
            }
            let error = applyConfigs(
                "AlterConfigs \(configs)", resourceType: resource.resourceType, name: resource.resourceName,
                validateOnly: request.validateOnly, actor: actor
            ) { _ in configs }
            return AlterConfigsResponse.AlterConfigsResourceResponse(
                errorCode: error?.code.rawValue ?? 0, errorMessage: error?.message,
                resourceType: resource.resourceType, resourceName: resource.resourceName)
        }
        return AlterConfigsResponse(throttleTimeMs: 0, responses: responses)
    }

    /// IncrementalAlterConfigs: 0 set, 1 delete, 2 append to a list, 3 subtract from a list.
    func incrementalAlterConfigs(_ request: IncrementalAlterConfigsRequest, actor: String) throws -> IncrementalAlterConfigsResponse {
        let responses = request.resources.map { resource -> IncrementalAlterConfigsResponse.AlterConfigsResourceResponse in
            let operations = resource.configs.map { "\($0.name) op=\($0.configOperation) value=\($0.value ?? "null")" }
            let error = applyConfigs(
                "IncrementalAlterConfigs \(operations)", resourceType: resource.resourceType, name: resource.resourceName,
                validateOnly: request.validateOnly, actor: actor
            ) { (current) throws(TopicAdminError) -> [String: String] in
                var next = current
                for op in resource.configs {
                    switch op.configOperation {
                    case 0: next[op.name] = op.value
                    case 1: next[op.name] = nil
                    case 2, 3:
                        var items = (next[op.name] ?? TopicConfigs.defaults[op.name] ?? "").split(separator: ",").map(String.init)
                        let given = (op.value ?? "").split(separator: ",").map(String.init)
                        if op.configOperation == 2 {
                            for item in given where !items.contains(item) { items.append(item) }
                        } else {
                            items.removeAll { given.contains($0) }
                        }
                        next[op.name] = items.joined(separator: ",")
                    default:
                        throw TopicAdminError(.invalidRequest, "unknown config operation \(op.configOperation)")
                    }
                }
                return next
            }
            return IncrementalAlterConfigsResponse.AlterConfigsResourceResponse(
                errorCode: error?.code.rawValue ?? 0, errorMessage: error?.message,
                resourceType: resource.resourceType, resourceName: resource.resourceName)
        }
        return IncrementalAlterConfigsResponse(throttleTimeMs: 0, responses: responses)
    }

    private func applyConfigs(
        _ operation: String, resourceType: Int8, name: String, validateOnly: Bool, actor: String,
        _ change: ([String: String]) throws(TopicAdminError) -> [String: String]
    ) -> TopicAdminError? {
        let error = applyConfigChange(resourceType: resourceType, name: name, validateOnly: validateOnly, change)
        if !validateOnly, resourceType == ResourceType.topic.rawValue {
            core.recordAdminChange(operation, topic: name, actor: actor, error: error)
        }
        return error
    }

    private func applyConfigChange(
        resourceType: Int8, name: String, validateOnly: Bool,
        _ change: ([String: String]) throws(TopicAdminError) -> [String: String]
    ) -> TopicAdminError? {
        guard resourceType == ResourceType.topic.rawValue else {
            return TopicAdminError(.invalidRequest, "only topic configs can be altered")
        }
        guard let topic = core.topics[name] else {
            return TopicAdminError(.unknownTopicOrPartition, "topic '\(name)' does not exist")
        }
        if topic.isInternal {
            // `__audit` must stay undeletable and uncompacted; the broker owns all internal topics.
            return TopicAdminError(.policyViolation, "the configs of internal topic '\(name)' cannot be altered")
        }
        do throws(TopicAdminError) {
            let next = try change(topic.configs)
            if let problem = TopicConfigs.validate(next) { throw TopicAdminError(.invalidConfig, problem) }
            if validateOnly {
                if let violation = TopicPolicyGuard.violation(current: topic.configs, proposed: next) {
                    throw TopicAdminError(.policyViolation, "topic '\(name)': \(violation)")
                }
            } else {
                try core.replaceConfigs(name: name, configs: next)
            }
            return nil
        } catch {
            return error
        }
    }
}
