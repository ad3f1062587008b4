"""A real SMTP server for the notices tests (aiosmtpd), on a loopback port.

Usage: python3 smtp_sink.py PORT DIR

Recipients whose address starts with "inconnu" are refused (550), as an unknown mailbox. Each
message received is written to DIR as one JSON file (written aside, then renamed, so a
reader never sees half of one): the envelope (mail_from, rcpt_tos) and the message as a mail
reader decodes it (from, to, subject, body of the text/plain part). The file DIR/ready appears
once the server accepts connections.
"""

import asyncio
import email
import email.policy
import json
import os
import sys

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, out):
        self.out = out
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        # A mailbox that does not exist, for the tests of a permanent refusal.
        if address.startswith("inconnu"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        part = message.get_body(preferencelist=("plain",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "from": str(message["from"]),
            "to": str(message["to"]),
            "subject": str(message["subject"]),
            "content_type": str(message.get_content_type()),
            "charset": str(message.get_content_charset()),
            "body": part.get_content() if part is not None else "",
        }
        self.count += 1
        name = os.path.join(self.out, "%06d.json" % self.count)
        with open(name + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(name + ".tmp", name)
        return "250 Message accepted"


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Recorder(out), hostname="127.0.0.1", port=port)
    controller.start()
    with open(os.path.join(out, "ready"), "w") as f:
        f.write(str(port))
    try:
        asyncio.run(asyncio.Event().wait())
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
