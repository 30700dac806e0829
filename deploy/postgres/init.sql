-- Run once by the postgres image on an empty data directory (docker-entrypoint-initdb.d),
-- as the POSTGRES_USER (lotse). One database per service: no service reads another's tables.
-- Each service creates its own tables with its Alembic migrations on start.
CREATE DATABASE intake OWNER lotse;
CREATE DATABASE routing OWNER lotse;
CREATE DATABASE notify OWNER lotse;
CREATE DATABASE metrics OWNER lotse;

-- Nobody else may connect to them.
REVOKE CONNECT ON DATABASE intake FROM PUBLIC;
REVOKE CONNECT ON DATABASE routing FROM PUBLIC;
REVOKE CONNECT ON DATABASE notify FROM PUBLIC;
REVOKE CONNECT ON DATABASE metrics FROM PUBLIC;
