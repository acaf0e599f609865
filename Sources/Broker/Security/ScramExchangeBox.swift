import AccessControl

/// A SCRAM exchange in progress, held by reference so the session can advance it in place.
final class ScramExchangeBox {
    var exchange: ScramServerExchange

    init(_ exchange: ScramServerExchange) {
        self.exchange = exchange
    }
}
