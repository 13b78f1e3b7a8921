package io.ferry.worker.preflight;

import io.ferry.worker.error.FerryException;

/** One thing wrong with a connection or job, with what to do about it (the API's problem object). */
public record Problem(String code, String message, String remedy) {
  public static Problem of(FerryException e) {
    return new Problem(e.code(), e.getMessage(), e.remedy());
  }

  public FerryException toException() {
    return FerryException.fatal(code, message, remedy);
  }
}
