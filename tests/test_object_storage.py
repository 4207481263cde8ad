"""Inputs on object storage: `textlake run s3://bucket/prefix/` against a real S3 API on 127.0.0.1 (moto's server
mode, started and stopped here), configured as any S3 client is: AWS_ENDPOINT_URL and the AWS_* credentials."""

from __future__ import annotations

import json
import os
import subprocess

import boto3
import duckdb
import pytest
from moto.core.authorization import enable_iam_authentication
from moto.server import ThreadedMotoServer

from tests.conftest import REPO, free_port

TEXTLAKE = str(REPO / ".venv" / "bin" / "textlake")

HAUSHALT = {
    "title": "Regierung beschließt Haushalt",
    "url": "https://www.tagesschau.de/inland/haushalt-101.html",
    "text": "Die Bundesregierung hat am Dienstag in Berlin den Haushalt für das kommende Jahr beschlossen. "
    "Die Opposition kritisierte den Entwurf scharf.",
}
HOCHWASSER = {
    "title": "Hochwasser in Bayern",
    "url": "https://www.sueddeutsche.de/bayern/hochwasser-1.234",
    "text": "Nach tagelangem Regen sind in Bayern mehrere Flüsse über die Ufer getreten. In Passau wurden Straßen "
    "gesperrt.",
}
KOMMENTAR = " date 2024-06\nDer Stadtrat von Köln hat am Dienstag den neuen Radweg am Rhein beschlossen.\n"
FEED = {
    "title": "Neuer Trainer",
    "url": "https://www.spiegel.de/sport/fussball/trainer-a-1.html",
    "text": "Der FC Bayern München hat einen neuen Trainer vorgestellt. Das erste Training ist am Mittwoch.",
}


def json_lines(*records: dict) -> bytes:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records).encode("utf-8")


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3 (and IAM) server on a free port of 127.0.0.1, for this module's tests."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def credentials(tmp_path, endpoint: str, key_id: str = "testing", secret: str = "testing") -> dict[str, str]:
    """The variables any S3 client reads (and no profile or config file of this machine's)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    return {
        **env, "AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": key_id, "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
    }  # fmt: skip


def s3_client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )


def textlake(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([TEXTLAKE, *args], capture_output=True, text=True, cwd=REPO, env=env, timeout=600)


def rows(data, sql: str) -> list[tuple]:
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_a_bucket_prefix_is_read_as_a_folder_is_and_a_changed_object_read_again(s3_endpoint, prefect_server, tmp_path):
    bucket = s3_client(s3_endpoint)
    bucket.create_bucket(Bucket="news")
    bucket.put_object(Bucket="news", Key="daily/2024-06-01.jsonl", Body=json_lines(HAUSHALT, HOCHWASSER))
    bucket.put_object(Bucket="news", Key="daily/koeln/kommentar.txt", Body=KOMMENTAR.encode("utf-8"))
    bucket.put_object(Bucket="news", Key="daily/README.md", Body=b"# not news")  # of no format textlake reads
    bucket.put_object(Bucket="news", Key="archive/2023.jsonl", Body=json_lines(FEED))  # not under the prefix
    bucket.put_object(Bucket="news", Key="web/feed.jsonl", Body=json_lines(FEED), ACL="public-read")
    env = {**credentials(tmp_path, s3_endpoint), **prefect_server}
    data = tmp_path / "data"
    feed = f"{s3_endpoint}/news/web/feed.jsonl"  # the same store over plain HTTP(S), as from any web server

    first = textlake("run", "s3://news/daily/", feed, "--data-dir", str(data), "--workers", "1", env=env)
    assert first.returncode == 0, first.stderr
    assert "documents        4 new, 0 unchanged" in first.stdout.splitlines()
    assert rows(data, "SELECT source_path, source_record, title FROM documents ORDER BY ALL") == [
        (feed, "line 1", "Neuer Trainer"),
        ("s3://news/daily/2024-06-01.jsonl", "line 1", "Regierung beschließt Haushalt"),
        ("s3://news/daily/2024-06-01.jsonl", "line 2", "Hochwasser in Bayern"),
        ("s3://news/daily/koeln/kommentar.txt", None, None),
    ]
    etags = rows(data, "SELECT source_path, etag IS NOT NULL, mtime_ns > 0 FROM file_state ORDER BY source_path")
    assert [state[1:] for state in etags] == [(True, True)] * 3

    again = textlake("run", "s3://news/daily/", feed, "--data-dir", str(data), "--workers", "1", env=env)
    assert (again.returncode, again.stdout.split(";")[0]) == (
        0,
        "nothing new: 3 files, each unchanged since a run read it",
    )

    # the same size, another word: the object's entity tag tells, not its size or its second of writing
    edited = KOMMENTAR.replace("Dienstag", "Mittwoch").encode("utf-8")
    bucket.put_object(Bucket="news", Key="daily/koeln/kommentar.txt", Body=edited)
    changed = textlake("run", "s3://news/daily/", feed, "--data-dir", str(data), "--workers", "1", env=env)
    assert changed.returncode == 0, changed.stderr
    assert "documents        1 new, 3 unchanged" in changed.stdout.splitlines()
    assert rows(data, "SELECT count(*) FROM documents WHERE text LIKE '%am Mittwoch den neuen Radweg%'") == [(1,)]


def test_a_missing_bucket_is_an_error_naming_it_before_anything_starts(s3_endpoint, tmp_path):
    result = textlake("run", "s3://no-such-bucket/daily/", "--data-dir", str(tmp_path / "data"),
                      env=credentials(tmp_path, s3_endpoint))  # fmt: skip
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "textlake: s3://no-such-bucket/daily/: bucket no-such-bucket does not exist\n"
    assert not (tmp_path / "data").exists()


def test_a_prefix_with_nothing_under_it_is_a_usage_error_as_a_missing_folder_is(s3_endpoint, tmp_path):
    s3_client(s3_endpoint).create_bucket(Bucket="empty")
    result = textlake("run", "s3://empty/daily/", "--data-dir", str(tmp_path / "data"),
                      env=credentials(tmp_path, s3_endpoint))  # fmt: skip
    assert (result.returncode, result.stderr) == (2, "textlake: no such object or prefix: s3://empty/daily/\n")


def test_a_bucket_the_credentials_may_not_read_is_an_error_naming_it(s3_endpoint, tmp_path):
    s3_client(s3_endpoint).create_bucket(Bucket="private")
    iam = boto3.client("iam", endpoint_url=s3_endpoint, aws_access_key_id="testing", aws_secret_access_key="testing",
                       region_name="us-east-1")  # fmt: skip
    iam.create_user(UserName="reader-without-rights")  # no policy: may do nothing
    key = iam.create_access_key(UserName="reader-without-rights")["AccessKey"]
    env = credentials(tmp_path, s3_endpoint, key["AccessKeyId"], key["SecretAccessKey"])
    with enable_iam_authentication():  # the server checks each request's signature and the user's policies
        result = textlake("run", "s3://private/daily/", "--data-dir", str(tmp_path / "data"), env=env)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith("textlake: s3://private/daily/: access to bucket private denied (")
    assert result.stderr.endswith("); check the credentials (for S3: AWS_*)\n")
    assert result.stderr.count("\n") == 1
    # the same object asked for over HTTP, with no credentials: the server's 403, not "no such object"
    s3_client(s3_endpoint).put_object(Bucket="private", Key="daily/a.jsonl", Body=json_lines(HAUSHALT))
    url = f"{s3_endpoint}/private/daily/a.jsonl"
    over_http = textlake("run", url, "--data-dir", str(tmp_path / "data"), env=dict(os.environ))
    assert (over_http.returncode, over_http.stderr) == (1, f"textlake: {url}: the server refuses access (HTTP 403)\n")


@pytest.mark.slow
def test_a_store_or_a_web_server_that_does_not_answer_is_a_one_line_error(tmp_path):
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    env = {**credentials(tmp_path, closed), "AWS_MAX_ATTEMPTS": "1"}  # botocore's own retries, as a user sets them
    for url in ("s3://news/daily/", f"{closed}/feed.jsonl"):
        result = textlake("run", url, "--data-dir", str(tmp_path / "data"), env=env)
        assert (result.returncode, result.stdout) == (1, ""), url
        assert result.stderr.startswith(f"textlake: {url}: the store does not answer ("), result.stderr
        assert result.stderr.count("\n") == 1
    assert not (tmp_path / "data").exists()


def test_a_scheme_whose_filesystem_is_not_installed_names_the_package(tmp_path):
    result = textlake("run", "gs://news/daily/", "--data-dir", str(tmp_path / "data"), env=dict(os.environ))
    assert (result.returncode, result.stderr) == (
        1, "textlake: gs://news/daily/: Please install gcsfs to access Google Storage (then run again)\n"
    )  # fmt: skip


def test_serve_takes_a_bucket_as_its_inbox_and_says_at_once_when_it_cannot_read_it(s3_endpoint, tmp_path):
    result = subprocess.run(
        [TEXTLAKE, "serve", "--inbox", "s3://no-such-bucket/inbox/", "--interval", "60", "--data-dir", str(tmp_path)],
        capture_output=True, text=True, env=credentials(tmp_path, s3_endpoint), timeout=120,
    )  # fmt: skip
    assert (result.returncode, result.stderr) == (
        1, "textlake: s3://no-such-bucket/inbox/: bucket no-such-bucket does not exist\n"
    )  # fmt: skip
