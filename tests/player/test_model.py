"""The playhead: replay, follow, speed, the end of a run, and events (no Qt)."""

import math

import pytest

from netviz.player.model import SPEEDS, Playback


def record(playback: Playback) -> list[tuple[str, object]]:
    seen: list[tuple[str, object]] = []
    for name in ("epoch", "latest", "playing", "follow", "finished"):
        getattr(playback.events, name).connect(lambda value, n=name: seen.append((n, value)))
    return seen


def test_play_replays_a_finished_run_without_training():
    p = Playback(latest=60_000, target=60_000, can_train=True)
    p.show(0)
    p.play()
    assert p.playing and p.training_goal() == 60_000  # nothing more to train
    p.advance(0.1)
    assert 0 < p.epoch < 100 and p.latest == 60_000


def test_play_at_the_end_of_a_finished_run_starts_again_from_zero():
    p = Playback(latest=500, target=500, can_train=False)
    p.go_end()
    p.play()
    assert p.epoch == 0 and p.playing


def test_replay_stops_at_the_end_and_says_so():
    p = Playback(latest=50, target=50, can_train=False)
    seen = record(p)
    p.set_speed("100")
    p.play()
    for _ in range(10):
        p.advance(0.1)
    assert p.epoch == 50 and not p.playing
    assert ("finished", "end") in seen


def test_fractions_of_an_epoch_add_up_between_frames():
    p = Playback(latest=100, target=100)
    p.set_speed("10")
    p.play()
    for _ in range(60):  # one second at 60 frames a second
        p.advance(1 / 60)
    assert p.epoch == 10


def test_playing_past_the_newest_epoch_asks_for_training_up_to_the_target():
    p = Playback(latest=0, target=1_000, can_train=True)
    p.set_speed("100")
    p.play()
    goal = p.training_goal()
    assert 0 < goal <= 100
    p.advance(0.5)  # nothing trained yet: the playhead waits at the newest epoch
    assert p.epoch == 0 and p.playing
    p.set_latest(40)
    p.advance(0.1)
    assert p.epoch == 10  # at its speed, not at once to the newest


def test_as_fast_as_possible_trains_to_the_target_and_follows():
    p = Playback(latest=0, target=1_000, can_train=True)
    p.set_speed("max")
    p.play()
    assert p.training_goal() == 1_000
    p.set_latest(300)
    p.advance(1 / 60)
    assert p.epoch == 300
    p.set_latest(1_000)
    p.advance(1 / 60)
    assert p.epoch == 1_000 and not p.playing


def test_as_fast_as_possible_replays_a_finished_run_in_seconds():
    p = Playback(latest=60_000, target=60_000, can_train=True)
    p.set_speed("max")
    p.play()
    p.advance(0.25)
    assert 0 < p.epoch < 60_000


def test_smooth_speed_grows_with_the_epoch():
    p = Playback(latest=60_000, target=60_000)
    early = p.rate()
    p.show(20_000)
    assert p.rate() > 100 * early / 10
    assert SPEEDS["smooth"] is None


def test_follow_keeps_the_newest_epoch_and_a_user_choice_ends_it():
    p = Playback(latest=10, target=100, can_train=True)
    p.go_end()
    p.set_latest(20)
    assert p.epoch == 20 and p.follow
    p.show(5)
    assert not p.follow
    p.set_latest(30)
    assert p.epoch == 5


def test_step_can_ask_for_epochs_to_train_but_not_past_the_target():
    p = Playback(latest=10, target=15, can_train=True)
    p.show(10)
    assert p.step(3) == 13
    assert p.epoch == 10  # shown once trained
    assert p.step(100) == 15
    recorded = Playback(latest=10, target=10, can_train=False)
    assert recorded.step(50) == 10 and recorded.epoch == 10


def test_events_fire_once_per_change():
    p = Playback(latest=10, target=10)
    seen = record(p)
    p.show(3)
    p.show(3)
    assert seen == [("epoch", 3)]


def test_speeds_are_stored_by_name():
    p = Playback()
    p.set_speed("1000")
    assert p.state()["speed"] == "1000"
    with pytest.raises(ValueError, match="unknown speed"):
        p.set_speed("3")
    assert math.isinf(SPEEDS["max"])
