"""Authentication and authorization with real clients (issue 9, README "Security").

One broker with a SASL_SSL listener (throwaway CA and server certificate made with the
openssl CLI), a SASL_PLAINTEXT listener, a users file written by `eventctl users add`, and
`User:admin` as the only super user. kcat (librdkafka 2.0.2) and confluent-kafka (current
librdkafka) log in with SCRAM-SHA-256/512; a wrong password fails; a principal without ACLs
cannot read a topic and gets no data, and that denial is written to compliance-events."""
from __future__ import annotations

import struct
import subprocess
import time
import uuid
from collections import Counter
from pathlib import Path

import confluent_kafka
import pytest
from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition
from confluent_kafka.admin import (AclBinding, AclBindingFilter, AclOperation, AclPermissionType,
                                   AdminClient, ResourcePatternType, ResourceType)

import kafka_helpers as kh
from conftest import BASE_TOPICS, Broker, _binary, free_port

TOPICS = {"payments": 1, "compliance-events": {"partitions": 1, "retention": "7y"}}
PASSWORDS = {"admin": "admin-secret", "alice": "alice-secret", "mallory": "mallory-secret"}


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def secure(tmp_path_factory, eventctl):
    """The broker, plus how to reach its secure listeners."""
    work = tmp_path_factory.mktemp("security")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
            "-days", "2", "-subj", "/CN=conformance-ca", cwd=work)
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
            "-subj", "/CN=localhost", cwd=work)
    (work / "san.cnf").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.pem", "-days", "2", "-extfile", "san.cnf", cwd=work)
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "client.key", "-out", "client.csr",
            "-subj", "/O=Bank/CN=ops", cwd=work)
    openssl("x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "client.pem", "-days", "2", cwd=work)
    users = work / "users.json"
    for user, password in PASSWORDS.items():
        done = subprocess.run([str(eventctl.binary), "users", "add", "--file", str(users), "--user", user,
                               "--password-stdin"], input=password + "\n", capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    assert oct(users.stat().st_mode & 0o777) == "0o600"
    text = users.read_text()
    assert all(p not in text for p in PASSWORDS.values()), "the users file must hold no password"
    sasl_ssl, sasl_plain, ssl = free_port(), free_port(), free_port()
    broker = Broker(_binary(), work, {**BASE_TOPICS, **TOPICS}, [
        "--sasl-ssl-listen", f"127.0.0.1:{sasl_ssl}", "--sasl-listen", f"127.0.0.1:{sasl_plain}",
        "--users", str(users), "--tls-cert", str(work / "server.pem"), "--tls-key", str(work / "server.key"),
        "--ssl-listen", f"127.0.0.1:{ssl}", "--tls-ca", str(work / "ca.pem"), "--tls-client-auth", "optional",
        "--super-users", "User:admin"])
    broker.start()
    broker.sasl_ssl = f"127.0.0.1:{sasl_ssl}"
    broker.sasl_plain = f"127.0.0.1:{sasl_plain}"
    broker.ca = str(work / "ca.pem")
    broker.ssl = f"127.0.0.1:{ssl}"
    broker.client_cert, broker.client_key = str(work / "client.pem"), str(work / "client.key")
    yield broker
    broker.stop()
    broker.kill9()


def conf(secure, user: str, mechanism: str = "SCRAM-SHA-512", password: str | None = None, **extra) -> dict:
    base = {"bootstrap.servers": secure.sasl_ssl, "security.protocol": "SASL_SSL",
            "ssl.ca.location": secure.ca, "sasl.mechanisms": mechanism, "sasl.username": user,
            "sasl.password": password if password is not None else PASSWORDS[user]}
    base.update(extra)
    return base


def kcat(secure, user: str, mechanism: str, *args: str, password: str | None = None, stdin: str | None = None,
         timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["kcat", "-b", secure.sasl_ssl, "-X", "security.protocol=SASL_SSL", "-X", f"ssl.ca.location={secure.ca}",
         "-X", f"sasl.mechanisms={mechanism}", "-X", f"sasl.username={user}",
         "-X", f"sasl.password={password if password is not None else PASSWORDS[user]}", *args],
        input=stdin, capture_output=True, text=True, timeout=timeout)


def grant(secure, *bindings: AclBinding) -> None:
    admin = AdminClient(conf(secure, "admin"))
    for future in admin.create_acls(list(bindings)).values():
        future.result(timeout=15)


def collect(consumer: Consumer, want: int, seconds: float) -> tuple[list, list]:
    messages, errors = [], []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and len(messages) < want:
        m = consumer.poll(0.2)
        if m is None:
            continue
        (errors if m.error() else messages).append(m.error() or m.value())
    return messages, errors


def test_super_user_produces_and_consumes_with_kcat_over_scram_512(secure):
    produced = kcat(secure, "admin", "SCRAM-SHA-512", "-P", "-t", "payments", stdin="from-admin-1\nfrom-admin-2\n")
    assert produced.returncode == 0, produced.stderr
    consumed = kcat(secure, "admin", "SCRAM-SHA-512", "-C", "-t", "payments", "-o", "beginning", "-e", "-q")
    assert consumed.returncode == 0, consumed.stderr
    assert consumed.stdout.split() == ["from-admin-1", "from-admin-2"]


def test_granted_user_works_with_kcat_scram_256_and_confluent_scram_512(secure):
    grant(secure,
          AclBinding(ResourceType.TOPIC, "payments", ResourcePatternType.LITERAL, "User:alice", "*",
                     AclOperation.READ, AclPermissionType.ALLOW),
          AclBinding(ResourceType.TOPIC, "payments", ResourcePatternType.LITERAL, "User:alice", "*",
                     AclOperation.WRITE, AclPermissionType.ALLOW),
          AclBinding(ResourceType.GROUP, "alice-", ResourcePatternType.PREFIXED, "User:alice", "*",
                     AclOperation.READ, AclPermissionType.ALLOW))
    produced = kcat(secure, "alice", "SCRAM-SHA-256", "-P", "-t", "payments", stdin="from-alice-kcat\n")
    assert produced.returncode == 0, produced.stderr
    p = Producer(conf(secure, "alice", "SCRAM-SHA-512", **{"enable.idempotence": True, "acks": "all"}))
    reports = []
    p.produce("payments", b"from-alice-confluent", on_delivery=lambda err, msg: reports.append(err))
    assert p.flush(20) == 0
    assert reports == [None]
    # A consumer group (JoinGroup, SyncGroup, OffsetCommit) under the granted group prefix.
    c = Consumer(conf(secure, "alice", "SCRAM-SHA-512", **{"group.id": f"alice-{uuid.uuid4().hex[:8]}",
                                                          "auto.offset.reset": "earliest"}))
    try:
        c.subscribe(["payments"])
        messages, errors = collect(c, 4, 30)
        assert errors == []
        assert set(messages) >= {b"from-admin-1", b"from-alice-kcat", b"from-alice-confluent"}
        c.commit(asynchronous=False)
    finally:
        c.close()
    # The advertised listener is the one the client connected to (SASL_SSL, not --listen).
    md = AdminClient(conf(secure, "alice")).list_topics(timeout=10)
    assert [f"{b.host}:{b.port}" for b in md.brokers.values()] == [secure.sasl_ssl]
    assert "payments" in md.topics


@pytest.mark.parametrize("mechanism", ["SCRAM-SHA-256", "SCRAM-SHA-512"])
def test_wrong_password_is_refused(secure, mechanism):
    result = kcat(secure, "alice", mechanism, "-L", "-m", "5", password="not-alices-password", timeout=30)
    assert " topics:" not in result.stdout
    assert "Authentication failed" in result.stderr or "SASL authentication error" in result.stderr
    errors = []
    p = Producer(conf(secure, "alice", mechanism, password="not-alices-password",
                      error_cb=lambda e: errors.append(e)))
    p.produce("payments", b"must-not-arrive")
    p.flush(8)
    assert any(e.code() == KafkaError._AUTHENTICATION for e in errors), errors
    # Nothing was stored: the super user still sees only what was produced with right passwords.
    consumed = kcat(secure, "admin", "SCRAM-SHA-512", "-C", "-t", "payments", "-o", "beginning", "-e", "-q")
    assert "must-not-arrive" not in consumed.stdout


def test_plain_checks_the_password_too(secure):
    base = ["kcat", "-b", secure.sasl_plain, "-X", "security.protocol=SASL_PLAINTEXT", "-X", "sasl.mechanisms=PLAIN",
            "-X", "sasl.username=alice", "-m", "5", "-L"]
    good = subprocess.run(base + ["-X", f"sasl.password={PASSWORDS['alice']}"], capture_output=True, text=True, timeout=30)
    assert "1 brokers" in good.stdout, good.stderr
    bad = subprocess.run(base + ["-X", "sasl.password=anything"], capture_output=True, text=True, timeout=30)
    assert "1 brokers" not in bad.stdout
    assert "Authentication failed" in bad.stderr


def test_requests_before_authentication_close_the_connection(secure):
    with kh.RawConnection(secure.sasl_plain) as conn:
        conn.send(kh.request_frame(3, 1, 1, b"\xff\xff\xff\xff"))  # Metadata v1, all topics
        assert conn.closed_or_answered() == "closed"


def test_unauthorized_principal_cannot_read_and_the_denial_is_audited(secure):
    # kcat: the topic error, and not one record.
    result = kcat(secure, "mallory", "SCRAM-SHA-256", "-C", "-t", "payments", "-o", "beginning", "-e")
    assert "Topic authorization failed" in result.stderr
    assert "from-admin" not in result.stdout and "from-alice" not in result.stdout
    # confluent-kafka, with rights on its consumer group but none on the topic.
    grant(secure, AclBinding(ResourceType.GROUP, "mallory-group", ResourcePatternType.LITERAL, "User:mallory", "*",
                             AclOperation.READ, AclPermissionType.ALLOW))
    c = Consumer(conf(secure, "mallory", "SCRAM-SHA-512", **{"group.id": "mallory-group", "auto.offset.reset": "earliest"}))
    try:
        c.subscribe(["payments"])
        messages, errors = collect(c, 1, 8)
    finally:
        c.close()
    assert messages == []
    assert any(e.code() == KafkaError.TOPIC_AUTHORIZATION_FAILED for e in errors), errors
    # Metadata does not leak the topic's existence.
    md = AdminClient(conf(secure, "mallory")).list_topics(timeout=10)
    assert "payments" not in md.topics and "compliance-events" not in md.topics
    # The plaintext --listen listener is User:ANONYMOUS, denied by default as well.
    anonymous = subprocess.run(["kcat", "-b", secure.bootstrap, "-C", "-t", "payments", "-o", "beginning", "-e"],
                               capture_output=True, text=True, timeout=30)
    assert "from-admin" not in anonymous.stdout
    # The denials are in compliance-events (Avro values keyed by subject; read by the super user).
    deadline = time.monotonic() + 20
    events: list[tuple[bytes, bytes]] = []
    while time.monotonic() < deadline:
        events = read_all(secure, "compliance-events")
        if any(b"User:mallory" in v for _, v in events) and any(b"User:ANONYMOUS" in v for _, v in events):
            break
        time.sleep(0.5)
    mallory = [(k, v) for k, v in events if b"User:mallory denied" in v]
    assert any(k == b"payments" for k, _ in mallory), events
    assert any(b"User:ANONYMOUS denied" in v for _, v in events), events
    # Deduplicated: one event per principal, operation and resource per minute, however often
    # mallory's clients retried.
    per_resource = Counter((k, v.split(b" denied ")[1].split(b" ")[0]) for k, v in mallory)
    assert per_resource and max(per_resource.values()) == 1, mallory


def read_all(secure, topic: str) -> list[tuple[bytes, bytes]]:
    c = Consumer(conf(secure, "admin", **{"group.id": f"admin-{uuid.uuid4().hex[:8]}", "enable.auto.commit": False}))
    try:
        c.assign([TopicPartition(topic, 0, confluent_kafka.OFFSET_BEGINNING)])
        out, idle_until = [], time.monotonic() + 3
        while time.monotonic() < idle_until:
            m = c.poll(0.2)
            if m is None or m.error():
                continue
            out.append((m.key(), m.value()))
            idle_until = time.monotonic() + 1
        return out
    finally:
        c.close()


def test_acls_are_described_deleted_and_persisted(secure):
    admin = AdminClient(conf(secure, "admin"))
    everything = AclBindingFilter(ResourceType.ANY, None, ResourcePatternType.ANY, None, None,
                                  AclOperation.ANY, AclPermissionType.ANY)
    described = admin.describe_acls(everything).result(timeout=15)
    assert {(b.name, b.principal, b.operation) for b in described} >= {
        ("payments", "User:alice", AclOperation.READ), ("alice-", "User:alice", AclOperation.READ)}
    stored = (secure.data_dir / "acls.json").read_text()
    assert "User:alice" in stored
    # Non-super users may not change ACLs.
    forbidden = AclBinding(ResourceType.TOPIC, "*", ResourcePatternType.LITERAL, "User:alice", "*",
                           AclOperation.ALL, AclPermissionType.ALLOW)
    alice_admin = AdminClient(conf(secure, "alice"))
    with pytest.raises(confluent_kafka.KafkaException) as refused:
        list(alice_admin.create_acls([forbidden]).values())[0].result(timeout=15)
    assert refused.value.args[0].code() == KafkaError.CLUSTER_AUTHORIZATION_FAILED
    # Deleting alice's WRITE takes effect at once.
    write = AclBindingFilter(ResourceType.TOPIC, "payments", ResourcePatternType.LITERAL, "User:alice", None,
                             AclOperation.WRITE, AclPermissionType.ALLOW)
    deleted = list(admin.delete_acls([write]).values())[0].result(timeout=15)
    assert len(deleted) == 1
    produced = kcat(secure, "alice", "SCRAM-SHA-256", "-P", "-t", "payments", stdin="after-revoke\n")
    assert "authorization failed" in produced.stderr.lower()
    assert "User:alice" in (secure.data_dir / "acls.json").read_text()
    assert '"operation" : 4' not in (secure.data_dir / "acls.json").read_text()


def test_client_certificate_subject_is_the_principal(secure):
    base = ["kcat", "-b", secure.ssl, "-X", "security.protocol=SSL", "-X", f"ssl.ca.location={secure.ca}",
            "-C", "-t", "payments", "-o", "beginning", "-e", "-q"]
    with_cert = base + ["-X", f"ssl.certificate.location={secure.client_cert}", "-X", f"ssl.key.location={secure.client_key}"]
    denied = subprocess.run(with_cert, capture_output=True, text=True, timeout=30)
    assert "authorization failed" in denied.stderr.lower() and "from-admin" not in denied.stdout
    grant(secure, AclBinding(ResourceType.TOPIC, "payments", ResourcePatternType.LITERAL, "User:CN=ops,O=Bank", "*",
                             AclOperation.READ, AclPermissionType.ALLOW))
    allowed = subprocess.run(with_cert, capture_output=True, text=True, timeout=30)
    assert "from-admin-1" in allowed.stdout.split(), allowed.stderr
    # The same listener without a certificate is User:ANONYMOUS: still denied.
    anonymous = subprocess.run(base, capture_output=True, text=True, timeout=30)
    assert "from-admin-1" not in anonymous.stdout


def test_sasl_handshake_v0_with_bare_plain_token(secure):
    with kh.RawConnection(secure.sasl_plain) as conn:
        conn.send(kh.request_frame(17, 0, 1, kh.kstring("PLAIN")))
        reply = conn.recv_frame()
        assert reply is not None and struct.unpack(">ih", reply[:6]) == (1, 0)
        token = b"\0alice\0" + PASSWORDS["alice"].encode()
        conn.send(struct.pack(">i", len(token)) + token)
        assert conn.recv_frame() == b""  # the empty server token: authenticated
        conn.send(kh.request_frame(18, 0, 2))  # ApiVersions v0 now travels as a normal request
        answer = conn.recv_frame()
        assert answer is not None and struct.unpack(">ih", answer[:6]) == (2, 0)
    with kh.RawConnection(secure.sasl_plain) as conn:
        conn.send(kh.request_frame(17, 0, 1, kh.kstring("PLAIN")))
        assert conn.recv_frame() is not None
        token = b"\0alice\0wrong"
        conn.send(struct.pack(">i", len(token)) + token)
        assert conn.closed_or_answered() == "closed"


def test_config_apis_refuse_unauthorized_principals_per_resource(secure):
    from confluent_kafka import KafkaException
    from confluent_kafka.admin import AlterConfigOpType, ConfigEntry, ConfigResource

    def code_of(future) -> int:
        with pytest.raises(KafkaException) as refused:
            future.result(timeout=10)
        return refused.value.args[0].code()

    topic = lambda: ConfigResource(ConfigResource.Type.TOPIC, "payments")
    mallory = AdminClient(conf(secure, "mallory"))
    for future in mallory.describe_configs([topic()]).values():
        assert code_of(future) == KafkaError.TOPIC_AUTHORIZATION_FAILED
    for future in mallory.alter_configs([ConfigResource(ConfigResource.Type.TOPIC, "payments",
                                                        set_config={"retention.ms": "1"})]).values():
        assert code_of(future) == KafkaError.TOPIC_AUTHORIZATION_FAILED
    incremental = ConfigResource(ConfigResource.Type.TOPIC, "payments", incremental_configs=[
        ConfigEntry("retention.ms", "1", incremental_operation=AlterConfigOpType.SET)])
    for future in mallory.incremental_alter_configs([incremental]).values():
        assert code_of(future) == KafkaError.TOPIC_AUTHORIZATION_FAILED
    # The refused changes were not applied; a super user still reads the configs.
    admin = AdminClient(conf(secure, "admin"))
    for future in admin.describe_configs([topic()]).values():
        assert future.result(timeout=10)["retention.ms"].value != "1"
