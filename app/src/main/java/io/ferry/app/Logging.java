package io.ferry.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Routes java.util.logging (the binlog client logs there) into SLF4J, and with
 * {@code FERRY_LOG_FORMAT=json} writes the log (stderr) as one JSON object per line — level, logger,
 * thread, message, and the MDC with the job id on every line about a job — for log shippers. What a
 * command prints for a person (stdout) stays plain.
 */
final class Logging {
  /** The human-readable line of logback.xml's STDERR appender. */
  private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %-14.14logger{0} %replace([%X{job}] ){'\\[\\] ', ''}%msg%n";

  private Logging() {}

  static void install() {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    java.util.logging.Logger.getLogger("com.github.shyiko").setLevel(java.util.logging.Level.INFO);
    String format = System.getenv("FERRY_LOG_FORMAT");
    if (format != null && format.strip().toLowerCase(Locale.ROOT).equals("json")
        && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      useJson(context);
    } else if (format != null && !format.isBlank() && !format.strip().equalsIgnoreCase("text")) {
      LoggerFactory.getLogger(Logging.class).warn("FERRY_LOG_FORMAT: must be text or json, not '{}'; logging text",
          format);
    }
  }

  /**
   * Writes the whole log to {@code file} (replaced on each call) and keeps only warnings and errors on stderr: for a
   * command whose terminal is for a person ({@code ferry demo}). With {@code FERRY_LOG_FORMAT=json} nothing changes.
   */
  static void toFile(Path file) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (!(root.getAppender("STDERR") instanceof ConsoleAppender<ILoggingEvent> stderr)) {
      return; // JSON logs or a user's own logback configuration: leave them as they are
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(context);
    appender.setName("FILE");
    appender.setFile(file.toString());
    appender.setAppend(false);
    appender.setEncoder(encoder);
    appender.start();
    root.addAppender(appender);
    ThresholdFilter warnings = new ThresholdFilter();
    warnings.setLevel("WARN");
    warnings.start();
    stderr.addFilter(warnings);
  }

  private static void useJson(LoggerContext context) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithFormattedMessage(true); // the message as a person reads it, not its pattern and arguments
    encoder.setWithMessage(false);
    encoder.setWithArguments(false);
    encoder.setWithContext(false);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("STDERR_JSON");
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender("STDERR");
    root.addAppender(appender);
  }
}
