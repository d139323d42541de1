"""The bundled demo catalog: Spark + AI Summit 2019, so anyone can try confbot without a schedule of their own."""

from pathlib import Path

DEMO_CATALOG = Path(__file__).with_name("spark-ai-summit-2019.schedule.json")
