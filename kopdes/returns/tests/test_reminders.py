"""Reminders to the board and the BA of a cooperative without a return: before the due date and after it, once."""

from datetime import date

from kopdes.notifications.models import Notification
from kopdes.returns.reminders import send_return_reminders


def test_board_and_ba_are_reminded_once_before_and_after_the_due_date(ba_on_janju, pengurus_janju, janju):
    # March 2026: due 10 April; reminded from 8 April, and from 11 April for two days
    assert send_return_reminders(today=date(2026, 4, 5)) == 0
    assert send_return_reminders(today=date(2026, 4, 8)) == 2
    assert send_return_reminders(today=date(2026, 4, 9)) == 0  # sent already
    assert send_return_reminders(today=date(2026, 4, 11)) == 2

    texts = list(Notification.objects.filter(user=ba_on_janju).values_list("text", flat=True))
    assert len(texts) == 2
    assert all("03/2026" in text for text in texts)
    assert {n.user_id for n in Notification.objects.all()} == {ba_on_janju.pk, pengurus_janju.pk}
