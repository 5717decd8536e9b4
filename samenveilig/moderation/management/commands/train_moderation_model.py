"""`samenveilig manage train_moderation_model`: train the learned model beside the rules (needs scikit-learn)."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samenveilig.moderation import model_training


class Command(BaseCommand):
    help = (
        "Trains the learned model of the text checks on samenveilig/moderation/quality/labelled_nl.jsonl (thresholds "
        "by leave-one-author-out) and writes samenveilig/moderation/data/nl/model.json. Needs scikit-learn "
        '(pip install -e ".[dev]"). Run it after every change to the labelled set.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, default=model_training.MODEL_FILE, help="where to write the model")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            import sklearn  # noqa: F401
        except ImportError as error:
            raise CommandError('scikit-learn is needed to train: pip install -e ".[dev]"') from error
        trained = model_training.train()
        size = model_training.write(trained, options["output"])
        self.stdout.write(
            json.dumps(
                {
                    "written": str(options["output"]),
                    "bytes": size,
                    "texts": trained["texts"],
                    "thresholds": trained["thresholds"],
                    "features": {"word": len(trained["word"]), "char": len(trained["char"])},
                }
            )
        )
