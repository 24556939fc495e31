"""Sample CloudTrail records for aws_volume_attachment: AttachVolume names volume, instance
and device; DetachVolume may name the volume alone, and its answer says the rest."""

from __future__ import annotations

from guard.live.resources.ec2 import volume_attachment_id
from tests.event_samples import Sample

VOLUME, INSTANCE = "vol-0a1b2c3d4e5f60718", "i-0123456789abcdef0"
ATTACHMENT = volume_attachment_id("/dev/sdf", INSTANCE, VOLUME)
ANSWER = {"volumeId": VOLUME, "instanceId": INSTANCE, "device": "/dev/sdf", "status": "detaching"}

SAMPLES: list[Sample] = [
    (
        "ec2",
        "AttachVolume",
        {"volumeId": VOLUME, "instanceId": INSTANCE, "device": "/dev/sdf"},
        {**ANSWER, "status": "attaching"},
        None,
        [("aws_volume_attachment", ATTACHMENT)],
    ),
    ("ec2", "DetachVolume", {"volumeId": VOLUME}, ANSWER, None, [("aws_volume_attachment", ATTACHMENT)]),
]
