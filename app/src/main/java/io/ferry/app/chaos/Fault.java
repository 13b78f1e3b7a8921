package io.ferry.app.chaos;

/** The faults a chaos run injects. */
enum Fault {
  SOURCE_RESET("source connection reset"),
  SOURCE_BLACKHOLE("source blackholed"),
  SOURCE_LATENCY("source latency"),
  SOURCE_BANDWIDTH("source bandwidth limit"),
  DESTINATION_RESET("destination connection reset"),
  DESTINATION_BLACKHOLE("destination blackholed"),
  DESTINATION_LATENCY("destination latency"),
  DESTINATION_BANDWIDTH("destination bandwidth limit"),
  WORKER_KILL("kill -9 of the job's process"),
  DESTINATION_RESTART("destination server SIGKILL + restart");

  private final String label;

  Fault(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  boolean onSource() {
    return name().startsWith("SOURCE_");
  }
}
