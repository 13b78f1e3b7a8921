package io.ferry.app.chaos;

/** When a fault strikes: while the job streams the binlog, or during a snapshot job's initial copy. */
enum Phase {
  STREAMING("streaming"),
  COPY("copy");

  private final String label;

  Phase(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }
}
