import KafkaProtocol

extension RequestDispatcher {
    /// InitProducerId for idempotent producers. Transactions are not offered (the
    /// transactional APIs are not advertised), so a transactional id is refused.
    func initProducerID(_ request: InitProducerIdRequest) throws -> InitProducerIdResponse {
        if request.transactionalId != nil {
            return InitProducerIdResponse(errorCode: KafkaErrorCode.transactionalIdAuthorizationFailed.rawValue)
        }
        // KIP-360: a producer that asks again with its id and epoch gets the next epoch.
        if request.producerId >= 0 {
            if request.producerEpoch < Int16.max - 1 {
                return InitProducerIdResponse(errorCode: 0, producerId: request.producerId, producerEpoch: request.producerEpoch + 1)
            }
        }
        do {
            let id = try core.producerIDs.next()
            return InitProducerIdResponse(errorCode: 0, producerId: id, producerEpoch: 0)
        } catch {
            core.logger.error("cannot allocate a producer id: \(error)")
            return InitProducerIdResponse(errorCode: KafkaErrorCode.kafkaStorageError.rawValue)
        }
    }
}
