import AuditChain
import Testing

/// SHA-256 itself (FIPS 180-4 test vectors), now that AuditChain hashes with OpenSSL's
/// low-level context instead of swift-crypto: every leaf and node rests on it.
@Suite struct AuditDigestTests {
    @Test func emptyInput() {
        #expect(AuditDigest.sha256([]).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func shortInput() {
        #expect(AuditDigest.sha256(Array("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func twoBlockInput() {
        let message = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(AuditDigest.sha256(message).hex == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func millionAs() {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(AuditDigest.sha256(message).hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func nodeHashIsRFC9162() {
        // SHA-256(0x01 || left || right), computed here from the public one-shot hash.
        let left = AuditDigest.sha256(Array("left".utf8)), right = AuditDigest.sha256(Array("right".utf8))
        #expect(MerkleLog.nodeHash(left, right) == AuditDigest.sha256([0x01] + left.bytes + right.bytes))
    }
}
