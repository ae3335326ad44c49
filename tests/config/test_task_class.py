from config.celery import app


def test_every_lantern_task_can_be_queued_after_commit():
    """Services queue follow-ups with delay_on_commit; a task class without it breaks every save."""
    app.loader.import_default_modules()
    ours = [task for name, task in app.tasks.items() if not name.startswith("celery.")]
    assert ours, "no Lantern tasks are registered"
    missing = [task.name for task in ours if not hasattr(task, "delay_on_commit")]
    assert missing == []
