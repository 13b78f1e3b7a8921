package io.ferry.protocol.codec;

import io.ferry.protocol.ProtocolException;
import io.ferry.protocol.ProtocolException.Reason;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed reads from one JSON object, each naming the field by its dotted path when it is missing or of
 * the wrong type. A {@code null} value counts as missing. Error messages never quote a string value.
 */
final class Fields {
  private final JsonObject json;
  private final String path;

  Fields(JsonObject json, String path) {
    this.json = json;
    this.path = path;
  }

  /** The dotted path of a field of this object. */
  String path(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  String prefix() {
    return path;
  }

  boolean has(String name) {
    return json.getValue(name) != null;
  }

  String string(String name) {
    return as(name, require(name), String.class, "a string");
  }

  String optString(String name) {
    Object v = json.getValue(name);
    return v == null ? null : as(name, v, String.class, "a string");
  }

  long int64(String name) {
    return integral(name, require(name), Long.MIN_VALUE, Long.MAX_VALUE);
  }

  Long optInt64(String name) {
    Object v = json.getValue(name);
    return v == null ? null : integral(name, v, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  int int32(String name) {
    return (int) integral(name, require(name), Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  double number(String name) {
    return as(name, require(name), Number.class, "a number").doubleValue();
  }

  boolean bool(String name) {
    return as(name, require(name), Boolean.class, "a boolean");
  }

  Instant instant(String name) {
    String text = as(name, require(name), String.class, "an ISO-8601 instant string");
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new ProtocolException(Reason.WRONG_TYPE, path(name),
          path(name) + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
    }
  }

  <E extends Enum<E>> E enumValue(String name, Class<E> type) {
    String text = as(name, require(name), String.class, "a string");
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(text)) {
        return constant;
      }
    }
    String shown = text.length() > 32 ? text.substring(0, 32) + "..." : text;
    throw new ProtocolException(Reason.INVALID_VALUE, path(name), path(name) + " must be one of "
        + Arrays.toString(type.getEnumConstants()) + ", was \"" + shown + "\"");
  }

  Fields object(String name) {
    return new Fields(as(name, require(name), JsonObject.class, "an object"), path(name));
  }

  Fields optObject(String name) {
    Object v = json.getValue(name);
    return v == null ? null : new Fields(as(name, v, JsonObject.class, "an object"), path(name));
  }

  List<String> strings(String name) {
    JsonArray array = as(name, require(name), JsonArray.class, "an array of strings");
    List<String> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Object v = array.getValue(i);
      if (!(v instanceof String s)) {
        throw new ProtocolException(v == null ? Reason.MISSING_FIELD : Reason.WRONG_TYPE, path(name) + "[" + i + "]",
            path(name) + "[" + i + "] must be a string");
      }
      out.add(s);
    }
    return out;
  }

  List<Fields> objects(String name) {
    JsonArray array = as(name, require(name), JsonArray.class, "an array of objects");
    List<Fields> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String at = path(name) + "[" + i + "]";
      Object v = array.getValue(i);
      if (!(v instanceof JsonObject o)) {
        throw new ProtocolException(v == null ? Reason.MISSING_FIELD : Reason.WRONG_TYPE, at, at + " must be an object");
      }
      out.add(new Fields(o, at));
    }
    return out;
  }

  Map<String, String> stringMap(String name) {
    Fields map = object(name);
    Map<String, String> out = new LinkedHashMap<>();
    for (String key : map.json.fieldNames()) {
      out.put(key, map.string(key));
    }
    return out;
  }

  private Object require(String name) {
    Object v = json.getValue(name);
    if (v == null) {
      throw new ProtocolException(Reason.MISSING_FIELD, path(name), path(name) + " is required");
    }
    return v;
  }

  private <T> T as(String name, Object value, Class<T> type, String what) {
    if (!type.isInstance(value)) {
      throw new ProtocolException(Reason.WRONG_TYPE, path(name),
          path(name) + " must be " + what + ", was " + jsonType(value));
    }
    return type.cast(value);
  }

  private long integral(String name, Object value, long min, long max) {
    long v;
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      v = ((Number) value).longValue();
    } else if (value instanceof BigInteger big && big.bitLength() < 64) {
      v = big.longValue();
    } else {
      throw new ProtocolException(Reason.WRONG_TYPE, path(name),
          path(name) + " must be an integer" + (max == Integer.MAX_VALUE ? " (32-bit)" : "") + ", was " + jsonType(value));
    }
    if (v < min || v > max) {
      throw new ProtocolException(Reason.WRONG_TYPE, path(name), path(name) + " must be a 32-bit integer, was " + v);
    }
    return v;
  }

  private static String jsonType(Object value) {
    if (value instanceof String) {
      return "a string";
    } else if (value instanceof Boolean) {
      return "a boolean";
    } else if (value instanceof Number) {
      return value instanceof Double || value instanceof Float ? "a decimal number" : "a number out of range";
    } else if (value instanceof JsonObject) {
      return "an object";
    } else if (value instanceof JsonArray) {
      return "an array";
    }
    return "a " + value.getClass().getSimpleName();
  }
}
