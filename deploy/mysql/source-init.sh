#!/bin/bash
# Runs once, when the source's data volume is created (the mysql image's docker-entrypoint-initdb.d):
# Ferry's replication user and a small seed schema to replicate.
set -euo pipefail
mysql -uroot -p"${MYSQL_ROOT_PASSWORD}" <<SQL
CREATE USER 'ferry_repl'@'%' IDENTIFIED BY '${FERRY_REPL_PASSWORD}';
GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'ferry_repl'@'%';
-- SELECT for the initial copy and verify; LOCK TABLES for the copy's moment of LOCK TABLES ... READ on MySQL.
GRANT SELECT, LOCK TABLES ON shop.* TO 'ferry_repl'@'%';

CREATE DATABASE shop CHARACTER SET utf8mb4;
CREATE TABLE shop.customers (
  id BIGINT UNSIGNED PRIMARY KEY AUTO_INCREMENT, name VARCHAR(100) NOT NULL, email VARCHAR(150) NOT NULL UNIQUE,
  country CHAR(2), tier ENUM('basic','gold','platinum') NOT NULL, created_at DATETIME(3) NOT NULL,
  last_seen TIMESTAMP(6) NULL);
CREATE TABLE shop.products (
  sku VARCHAR(32) PRIMARY KEY, title VARCHAR(200) NOT NULL, price DECIMAL(12,2) NOT NULL, weight_kg FLOAT,
  stock INT NOT NULL, tags SET('new','sale','eco'), details JSON, photo BLOB);
CREATE TABLE shop.orders (
  id BIGINT PRIMARY KEY AUTO_INCREMENT, customer_id BIGINT UNSIGNED NOT NULL,
  status ENUM('new','paid','shipped','cancelled') NOT NULL, total DECIMAL(14,2) NOT NULL, placed_on DATE NOT NULL,
  note TEXT, KEY (customer_id));

INSERT INTO shop.customers (name, email, country, tier, created_at) VALUES
  ('Ada Lovelace', 'ada@example.org', 'GB', 'platinum', NOW(3)),
  ('Grace Hopper', 'grace@example.org', 'US', 'gold', NOW(3)),
  ('Ólafur Jónsson', 'olafur@example.org', 'IS', 'basic', NOW(3));
INSERT INTO shop.products (sku, title, price, weight_kg, stock, tags, details) VALUES
  ('TEA-001', 'Green tea', 4.50, 0.25, 120, 'new,eco', '{"origin": "JP"}'),
  ('MUG-002', 'Stoneware mug', 12.00, 0.40, 35, 'sale', '{"colours": ["blue", "white"]}'),
  ('PEN-003', 'Fountain pen', 48.90, 0.05, 8, NULL, NULL);
INSERT INTO shop.orders (customer_id, status, total, placed_on, note) VALUES
  (1, 'paid', 16.50, CURDATE(), 'gift wrap'), (2, 'new', 48.90, CURDATE(), NULL);
SQL
