"""Rendering, delivery log, retries and the Apprise adapter.

Only `apprise_adapter` (and `destinations`, for the privacy form) import apprise; the
rest is pure and takes `now` from the caller. `AppriseSender` is not re-exported here:
import it from `signalfire.delivery.apprise_adapter` where the worker/CLI wires it.
"""

from signalfire.delivery.channels import Channel, channel_for
from signalfire.delivery.destinations import destination_id, shown_as
from signalfire.delivery.dispatcher import DigestResult, Dispatcher, dead_reason, needs_dead_letter
from signalfire.delivery.log import DeliveryLog
from signalfire.delivery.outbox import Job, Outbox, OutboxEntry
from signalfire.delivery.policy import RetryPolicy
from signalfire.delivery.render import RenderedMessage, Renderer
from signalfire.delivery.schedule import DigestBuffer, RateLimiter
from signalfire.delivery.sender import Sender, SendResult

__all__ = [
    "Channel",
    "DeliveryLog",
    "DigestBuffer",
    "DigestResult",
    "Dispatcher",
    "Job",
    "Outbox",
    "OutboxEntry",
    "RateLimiter",
    "RenderedMessage",
    "Renderer",
    "RetryPolicy",
    "SendResult",
    "Sender",
    "channel_for",
    "dead_reason",
    "destination_id",
    "needs_dead_letter",
    "shown_as",
]
