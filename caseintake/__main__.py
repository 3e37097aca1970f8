from caseintake.cli.main import run

run()
