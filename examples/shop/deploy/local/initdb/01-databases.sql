-- Extra databases for the local compose stack (the image creates "shop").
CREATE DATABASE orders OWNER shop;
CREATE DATABASE payments OWNER shop;
