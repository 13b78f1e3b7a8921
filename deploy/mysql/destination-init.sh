#!/bin/bash
# Runs once, when the destination's data volume is created: the user Ferry writes with. The job maps
# shop to shop_copy; _ferry holds Ferry's checkpoint, schema history and copy progress.
set -euo pipefail
mysql -uroot -p"${MYSQL_ROOT_PASSWORD}" <<SQL
CREATE USER 'ferry'@'%' IDENTIFIED BY '${FERRY_DEST_PASSWORD}';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX ON shop_copy.* TO 'ferry'@'%';
GRANT ALL ON _ferry.* TO 'ferry'@'%';
SQL
