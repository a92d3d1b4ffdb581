"""Run the credentials service without AWS and without Docker, driven by template.yaml."""
