import EventSourcing

/// A test aggregate: a bank account in integer minor units.
enum AccountEvent: DomainEvent, Equatable {
    case opened(owner: String)
    case deposited(amountMinor: Int64)
    case withdrawn(amountMinor: Int64)

    var eventType: String {
        switch self {
        case .opened: "AccountOpened"
        case .deposited: "MoneyDeposited"
        case .withdrawn: "MoneyWithdrawn"
        }
    }
}

struct Account: AggregateRoot, Codable, Equatable {
    var id: String
    var owner: String?
    var balanceMinor: Int64 = 0
    var transactions = 0

    init(id: String) { self.id = id }

    mutating func apply(_ event: AccountEvent) {
        switch event {
        case .opened(let owner): self.owner = owner
        case .deposited(let amount): balanceMinor += amount; transactions += 1
        case .withdrawn(let amount): balanceMinor -= amount; transactions += 1
        }
    }
}
